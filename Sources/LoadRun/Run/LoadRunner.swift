import Costing

/// Everything a run needs, assembled by the caller.
public struct LoadPlan: Sendable {
    public var shape: LoadShape
    public var seed: UInt64
    public var mix: RequestMix
    public var sender: Sender
    public var target: any LoadTarget
    public var stop: StopFlag
    /// Longest wait for the stack to finish after sending.
    public var settleSeconds: Double = 300
    /// Verification gives up on the missing orders once none appeared for this long.
    public var quietSeconds: Double = 20
    /// Progress lines (stderr).
    public var progress: @Sendable (String) -> Void = { _ in }
    /// Whether accepted orders are looked for after the run (off: a throughput run against any endpoint).
    public var verify = true
    /// Which requests are signed.
    public var signs: @Sendable (PlannedRequest) -> Bool = { _ in false }

    public init(
        shape: LoadShape, seed: UInt64, mix: RequestMix, sender: Sender, target: any LoadTarget, stop: StopFlag
    ) {
        self.shape = shape
        self.seed = seed
        self.mix = mix
        self.sender = sender
        self.target = target
        self.stop = stop
    }
}

/// What a run measured and found.
public struct LoadResult: Sendable {
    public var shape: LoadShape
    public var seed: UInt64
    /// The prefix of every key the run made (`ldq3x9a1-000001`).
    public var runTag: String
    public var target: String
    public var counts: LoadCounts
    /// Requests the shape asked for (the integral of its rate), for the sent count to be held against.
    public var expectedRequests: Double
    /// Seconds spent sending; shorter than the shape when stopped.
    public var sentSeconds: Double
    public var stoppedEarly: Bool
    /// The messages waiting in the intake queue, sampled each second from the start; `nil` where the queue cannot
    /// be seen.
    public var backlog: [Int]?
    public var verification: Verification
    public var prediction: LoadPrediction?

    /// The largest sampled backlog and its second.
    public var peakBacklog: (messages: Int, second: Int)? {
        guard let backlog, let peak = backlog.indices.max(by: { backlog[$0] < backlog[$1] }) else { return nil }
        return (backlog[peak], peak)
    }

    /// Seconds from the peak until fewer than `batchSize` messages wait (the simulator's definition); `nil` when
    /// it never got there or the queue cannot be seen.
    public func drainSeconds(batchSize: Int) -> Double? {
        guard let backlog, let peak = peakBacklog, peak.messages > 0 else { return peakBacklog.map { _ in 0 } }
        return backlog[peak.second...].firstIndex { $0 < batchSize }.map { Double($0 - peak.second) }
    }
}

/// Runs a plan: sends, samples the intake queue each second, waits for the stack to finish, verifies.
public enum LoadRunner {
    public static func run(_ plan: LoadPlan) async throws -> LoadResult {
        let clock = plan.sender.clock
        let recorder = Recorder()
        let origin = clock.now()
        let sampler = BacklogSampler()
        let sampling = Task { await sampler.sample(plan.target, clock: clock, origin: origin) }
        let reporting = Task { await report(recorder, plan: plan, clock: clock, origin: origin) }
        if plan.verify { plan.target.startCollecting(key: plan.mix.routes.key) }
        let schedule = ArrivalSchedule(end: plan.shape.seconds, seed: plan.seed) { plan.shape.requestRate(at: $0) }
        await plan.sender.run(
            schedule: schedule, mix: plan.mix, recorder: recorder, stop: plan.stop, origin: origin, signs: plan.signs)
        let sentSeconds = min(plan.shape.seconds, clock.now() - origin)
        reporting.cancel()
        if plan.verify {
            plan.progress(
                "sent for \(Int(sentSeconds)) s; waiting for the stack to finish (at most \(Int(plan.settleSeconds)) s)"
            )
            await plan.target.settle(seconds: plan.settleSeconds)
        }
        sampling.cancel()
        let backlog = await sampling.value
        let counts = recorder.snapshot
        let verification: Verification
        if plan.verify {
            plan.progress("verifying \(counts.acceptedKeys.count) accepted requests")
            verification = try await Verifier.verify(
                counts, target: plan.target, key: plan.mix.routes.key, quiet: plan.quietSeconds, clock: clock)
        } else {
            verification = .skipped(accepted: counts.acceptedKeys.count)
        }
        return LoadResult(
            shape: plan.shape, seed: plan.seed, runTag: plan.mix.runTag, target: plan.target.label, counts: counts,
            expectedRequests: plan.shape.expectedRequests, sentSeconds: sentSeconds,
            stoppedEarly: plan.stop.isStopped && sentSeconds < plan.shape.seconds - 1, backlog: backlog,
            verification: verification, prediction: nil)
    }

    /// A progress line every five seconds while sending.
    static func report(_ recorder: Recorder, plan: LoadPlan, clock: any LoadClock, origin: Double) async {
        var next = origin + 5
        while !Task.isCancelled {
            await clock.sleep(until: next)
            if Task.isCancelled { return }
            let counts = recorder.snapshot
            plan.progress(
                "\(Int(next - origin)) s: sent \(counts.total(\.offered)), 2xx \(counts.total(\.accepted)), 429 \(counts.total(\.throttled)), other \(counts.total(\.clientErrors) + counts.total(\.serverErrors) + counts.total(\.failed))"
            )
            next += 5
        }
    }
}

/// The intake queue's depth once a second, until cancelled.
actor BacklogSampler {
    func sample(_ target: any LoadTarget, clock: any LoadClock, origin: Double) async -> [Int]? {
        var samples: [Int] = []
        while !Task.isCancelled {
            // No answer at the first look: the queue is not visible; later, a failed look keeps the last value.
            guard let depth = await target.backlog() ?? samples.last else { return nil }
            // A slow answer leaves seconds unsampled: they carry the last value.
            let now = Int(clock.now() - origin)
            while samples.count < now { samples.append(samples.last ?? depth) }
            samples.append(depth)
            await clock.sleep(until: origin + Double(samples.count))
        }
        return samples
    }
}
