import Costing
import JSONDocument
import Testing

@testable import LoadRun

@Suite struct LoadPredictionTests {
    static func parameters() -> SimulationParameters {
        var parameters = SimulationParameters()
        parameters.stageRateLimit = 20
        parameters.stageBurstLimit = 40
        parameters.batchSize = 10
        parameters.batchingWindowSeconds = 1
        parameters.maximumConcurrency = 2
        return parameters
    }

    @Test func aBurstAboveTheStageThrottleIsPredictedSecondBySecond() {
        // 40 requests/s for 10 s against rate 20, burst 40: the bucket admits 40 in the first second, then 20 a
        // second: 220 admitted, 180 throttled.
        let shape = LoadShape(profile: Fixtures.spike(rate: 40, minutes: 10), window: 10..<(10 + 1.0 / 6), speedup: 60)
        let prediction = LoadPrediction.make(
            shape: shape, invalidShare: 0, parameters: Self.parameters(), tailSeconds: 60)
        let series = try! #require(prediction.result.perSecond)
        #expect(abs(prediction.result.acceptedRequests - 220) < 1e-6)
        #expect(abs(prediction.result.rejectedRequests - 180) < 1e-6)
        #expect(abs(series.admitted[0] - 40) < 1e-6)
        #expect(abs(series.admitted[5] - 20) < 1e-6)
        #expect(series.rejected[10] == 0)
        #expect(series.backlog.count >= 70)
    }

    @Test func invalidOrdersCountAgainstTheThrottleButNeverReachTheQueue() {
        let shape = LoadShape(profile: Fixtures.spike(rate: 10, minutes: 10), window: 10..<(10 + 1.0 / 6), speedup: 60)
        let prediction = LoadPrediction.make(
            shape: shape, invalidShare: 0.5, parameters: Self.parameters(), tailSeconds: 30)
        #expect(abs(prediction.result.acceptedRequests - 100) < 1e-6)
        #expect(abs(prediction.result.acceptedArrivals - 50) < 1e-6)
    }

    @Test func theRunIsHeldAgainstThePredictionFigureByFigure() {
        let shape = LoadShape(profile: Fixtures.spike(rate: 40, minutes: 10), window: 10..<(10 + 1.0 / 6), speedup: 60)
        let prediction = LoadPrediction.make(
            shape: shape, invalidShare: 0, parameters: Self.parameters(), tailSeconds: 60)
        let recorder = Recorder()
        let answers: [(RequestKind, Int)] = [
            (.new, 202), (.new, 202), (.duplicate, 202), (.new, 429), (.invalid, 400),
        ]
        for (index, (kind, status)) in answers.enumerated() {
            let request = PlannedRequest(
                kind: kind, method: "POST", path: "/orders", body: [], key: "k\(index)", scheduled: Double(index))
            recorder.offered(request)
            recorder.answered(request, status: status, latency: 0.01, error: nil)
        }
        var run = LoadReportTests.result(lost: [])
        run.counts = recorder.snapshot
        run.backlog = [0, 12, 30, 8, 2, 0]
        let rows = Dictionary(uniqueKeysWithValues: prediction.comparisons(run).map { ($0.name, $0) })
        #expect(rows["requests admitted"]?.measured == 4)
        #expect(rows["POSTs accepted"]?.measured == 3)
        #expect(rows["429 throttled"]?.measured == 1)
        #expect(abs((rows["429 throttled"]?.predicted ?? 0) - 180) < 1e-6)
        #expect(rows["peak intake backlog"]?.measured == 30)
        // From 30 at second 2 to below a batch (10) at second 3.
        #expect(rows["drain time (s)"]?.measured == 1)
        #expect(rows["429 throttled"]?.differs == true)
    }

    @Test func figuresDifferOnlyBeyondTwentyPercentAndTheFloor() {
        typealias Row = LoadPrediction.Comparison
        #expect(Row(name: "a", measured: 100, predicted: 79, floor: 5).differs)
        #expect(!Row(name: "a", measured: 100, predicted: 81, floor: 5).differs)
        #expect(!Row(name: "a", measured: 3, predicted: 0, floor: 5).differs)
        #expect(!Row(name: "a", measured: nil, predicted: 10, floor: 0).differs)
    }
}

@Suite struct LoadReportTests {
    static func result(lost: [String]) -> LoadResult {
        let recorder = Recorder()
        let request = PlannedRequest(kind: .new, method: "POST", path: "/orders", body: [], key: "k1", scheduled: 0.5)
        recorder.offered(request)
        recorder.answered(request, status: 202, latency: 0.02, error: nil)
        let throttled = PlannedRequest(
            kind: .new, method: "POST", path: "/orders", body: [], key: "k2", scheduled: 1.2)
        recorder.offered(throttled)
        recorder.answered(throttled, status: 429, latency: 0.01, error: nil)
        return LoadResult(
            shape: LoadShape(profile: Fixtures.spike(rate: 1, minutes: 10)), seed: 3, runTag: "ldt", target: "fake",
            counts: recorder.snapshot, expectedRequests: 2, sentSeconds: 2, stoppedEarly: false, backlog: [0, 3, 0],
            verification: Verification(
                accepted: 1, lost: lost, storedWithoutAnswer: 0, queues: ["Q"], unannounced: ["Q": []],
                duplicated: ["Q": [:]], settleSeconds: 0),
            prediction: nil)
    }

    @Test func aLostOrderIsNamedAndTheResultFails() throws {
        let text = LoadReport.text(Self.result(lost: ["k1"]))
        #expect(text.contains("LOST 1 accepted request(s), never stored: k1"))
        #expect(text.hasSuffix("result: FAILED\n"))
        #expect(text.contains("answers: 2xx 1, 4xx 0, 429 1, 5xx 0, no answer 0"))
        let json = try #require(JSONValue.parse(Array(LoadReport.json(Self.result(lost: ["k1"])).utf8)))
        #expect(json["failed"] == .bool(true))
        #expect(json["verification"]?["lost"] == .array([.string("k1")]))
        guard case .array(let seconds)? = json["seconds"] else {
            Issue.record("no seconds")
            return
        }
        #expect(seconds.count == 2)
    }

    @Test func nothingStoredSaysWhereItLookedAndNoQueueIsNotInvisible() {
        var run = Self.result(lost: ["k1"])
        run.verification.lookup = "table Deliveries by deliveryId"
        run.verification.seesQueues = true
        run.verification.queues = []
        let text = LoadReport.text(run)
        #expect(text.contains("none of them is in table Deliveries by deliveryId"))
        #expect(text.contains("events: the stack has no subscriber queue"))
        run.verification.seesQueues = false
        #expect(LoadReport.text(run).contains("events: the subscriber queues are not visible from this target"))
    }

    @Test func aCleanRunSaysOkAndDrawsAChart() {
        let run = Self.result(lost: [])
        #expect(LoadReport.text(run).hasSuffix("result: ok\n"))
        let svg = LoadChart.svg(run)
        #expect(svg.hasPrefix("<?xml"))
        #expect(svg.contains("intake backlog"))
        #expect(svg.hasSuffix("</svg>\n"))
    }
}
