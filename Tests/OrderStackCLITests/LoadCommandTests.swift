import Foundation
import Testing

/// `orderstack load`'s refusals, which come before anything is started (the runs themselves are in
/// `Tests/Integration/load_local.py`, against moto_server).
@Suite struct LoadCommandTests {
    @Test(arguments: [
        (["--scale", "0"], "--scale must be a positive number"),
        (["--window", "700..800"], "--window takes hours of the month as START..END"),
        (["--duration", "soon"], "--duration takes seconds (90), or 90s, 2m, 1h"),
        (["--invalid-share", "0.9"], "--invalid-share must be between 0 and 0.5"),
        (["--target", "ftp://x"], "--target takes local or an http(s) URL with the stage path"),
        (["--scale", "0.05", "--window", "0..1"], "sends no request in hours 0..1 at --scale 0.05"),
        (["--scale", "0.05", "--key", "customerId"], "--key customerId is not the parameter of GET /orders/{orderId}"),
        (["--max-rate", "10", "--scale", "0.05"], "peaks at 15 requests/s at --scale 0.05, above --max-rate 10"),
        (
            ["--scale", "0.05", "--target", "https://x.execute-api.eu-west-1.amazonaws.com/prod"],
            "repeat its host: --confirm-endpoint x.execute-api.eu-west-1.amazonaws.com"
        ),
    ])
    func badInputIsRefusedWithExitTwo(arguments: [String], message: String) throws {
        let result = try CommandRunner.orderstack(["load", "--profile", "sale-spike"] + arguments)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func theSuggestedScaleFitsUnderTheCap() throws {
        let result = try CommandRunner.orderstack(["load", "--profile", "sale-spike", "--max-rate", "100"])
        #expect(result.status == 2)
        // 300.04/s at scale 1: 100 / 300.04 = 0.3332..., rounded down to 0.33 (0.34 would exceed the cap).
        #expect(result.stderr.contains("use --scale 0.33 or raise --max-rate"), "\(result.stderr)")
    }
}
