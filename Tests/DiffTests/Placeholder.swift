extension GatePair { static let adversary: [GatePair] = [] }
