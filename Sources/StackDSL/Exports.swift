// A construct written in another package prices its resource types with `ResourcePrice` (`Construct.prices`):
// it comes with StackDSL, so such a package depends on StackDSL alone.
@_exported import struct StackGraph.ResourcePrice
