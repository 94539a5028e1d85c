import Foundation
import Support

/// Receives the runner's events. Called from worker threads, one call at a time.
public protocol ProgressReporter: AnyObject {
    /// The runner is about to train `total` runs (`reused` more come from the cache).
    func began(total: Int, reused: Int, estimatedWork: Double)
    /// A run finished one epoch; `work` is the estimated work done so far over all runs.
    func advanced(label: String, work: Double)
    /// A run finished (trained, or diverged).
    func finished(_ run: FinishedRun, label: String, work: Double)
    /// Everything is done.
    func ended(_ summary: RunSummary)
}

/// What the progress display says of a finished run, whatever kind of run it was.
public struct FinishedRun: Sendable, Equatable {
    /// The run's settings in a few words (`6x16, Adam lr 0.001, batch 256, 50 epochs`).
    public var summary: String
    /// Its outcome in a few words (`val acc 0.930`, `diverged at epoch 3, iteration 12`).
    public var status: String
    public var wallSeconds: Double
}

/// Counts of what a `nnreport run` did.
public struct RunSummary: Sendable, Equatable {
    public var ran = 0
    public var reused = 0
    public var diverged = 0
    public var wallSeconds = 0.0

    public var description: String {
        "\(ran) run\(ran == 1 ? "" : "s") trained, \(reused) reused from cache, \(diverged) diverged, "
            + String(format: "%.1f s", wallSeconds)
    }
}

/// Progress on a terminal (a live bar with the current run and an ETA) or in a
/// log (one line per finished run), always ending with a summary line.
public final class ConsoleProgress: ProgressReporter {
    private let live: Bool
    private let output: FileHandle
    private var totalWork = 1.0
    private var total = 0
    private var done = 0
    private let started = DispatchTime.now().uptimeNanoseconds
    private var lastDraw: UInt64 = 0

    /// - Parameter live: draw a bar in place (for a terminal); default: whether standard error is one.
    public init(live: Bool? = nil, output: FileHandle = .standardError) {
        self.live = live ?? (isatty(STDERR_FILENO) != 0)
        self.output = output
    }

    private var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 }

    private func write(_ text: String) { output.write(Data(text.utf8)) }

    public func began(total: Int, reused: Int, estimatedWork: Double) {
        self.total = total
        totalWork = max(estimatedWork, 1)
        write("\(total) run\(total == 1 ? "" : "s") to train, \(reused) reused from cache\n")
    }

    public func advanced(label: String, work: Double) {
        guard live else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw > 100_000_000 else { return }  // at most ten redraws a second
        lastDraw = now
        drawBar(label: label, work: work)
    }

    public func finished(_ run: FinishedRun, label: String, work: Double) {
        done += 1
        let line = String(format: "[%d/%d] %@ (%@): %@, %.1f s", done, total, label, run.summary, run.status, run.wallSeconds)
        if live {
            write("\r\u{1B}[2K" + line + "\n")
            drawBar(label: "", work: work)
        } else {
            write(line + "\n")
        }
    }

    public func ended(_ summary: RunSummary) {
        if live { write("\r\u{1B}[2K") }
        write("done: \(summary.description)\n")
    }

    private func drawBar(label: String, work: Double) {
        let fraction = min(max(work / totalWork, 0), 1)
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let eta = fraction > 0.01 ? Self.duration(elapsed * (1 - fraction) / fraction) : "--"
        let current = label.isEmpty ? "" : " \(label)"
        write("\r\u{1B}[2K\(bar) \(Int(fraction * 100))% \(done)/\(total) ETA \(eta)\(current)")
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(saturating: seconds.rounded())
        return whole >= 60 ? "\(whole / 60)m\(String(format: "%02d", whole % 60))s" : "\(whole)s"
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
