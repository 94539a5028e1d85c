internal import CXGBoost

// The only file that imports XGBoost's C API: owned handles and one error funnel.
// Everything public is built on these in XGBoostClassifier.swift and XGBoostModel.swift.

/// Turns a failed C call (return code != 0) into `XGBoostError.library` with
/// XGBoost's own message, which it keeps per thread until the next failure.
private func check(_ code: Int32, _ function: String) throws {
    guard code != 0 else { return }
    let message = readableMessage(XGBGetLastError().map { String(cString: $0) } ?? "")
    throw XGBoostError.library(function: function, message: message.isEmpty ? "error code \(code)" : message)
}

/// XGBoost's error text on one line, without its leading time stamp
/// ("[07:31:07] ", which would make messages differ between runs) and without
/// the native stack trace it appends.
func readableMessage(_ raw: String) -> String {
    var lines = raw.split(whereSeparator: \.isNewline).map(\.trimmingWhitespace)
    if let trace = lines.firstIndex(where: { $0.hasPrefix("Stack trace:") }) {
        lines.removeSubrange(trace...)
    }
    if let first = lines.first, first.hasPrefix("["), let close = first.firstIndex(of: "]"),
       first[first.index(after: first.startIndex)..<close].allSatisfy({ $0.isNumber || $0 == ":" }) {
        lines[0] = first[first.index(after: close)...].trimmingWhitespace
    }
    return lines.filter { !$0.isEmpty }.joined(separator: "; ")
}

/// XGBoost's version, e.g. "1.7.4".
func xgboostVersion() -> String {
    var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
    XGBoostVersion(&major, &minor, &patch)
    return "\(major).\(minor).\(patch)"
}

/// A DMatrix (XGBoost's copy of a data set), freed when released.
final class XGBoostData {
    fileprivate let handle: DMatrixHandle

    private init(owning handle: DMatrixHandle) {
        self.handle = handle
    }

    deinit {
        XGDMatrixFree(handle)
    }

    /// Copies `features` (and `labels`, if any, as floats) into a new DMatrix.
    /// No value counts as missing: the matrix holds finite values only.
    static func make(_ features: FeatureMatrix, labels: [Int32]? = nil, threads: Int) throws -> XGBoostData {
        var handle: DMatrixHandle?
        try features.values.withUnsafeBufferPointer { values in
            try check(XGDMatrixCreateFromMat_omp(values.baseAddress, UInt64(features.rows), UInt64(features.columns),
                                                 .nan, &handle, Int32(threads)),
                      "XGDMatrixCreateFromMat_omp")
        }
        guard let handle else { throw XGBoostError.unexpectedOutput("XGDMatrixCreateFromMat_omp returned no matrix") }
        // Owned from here on, so a failure below frees it.
        let data = XGBoostData(owning: handle)
        if let labels {
            let floats = labels.map { Float($0) }
            try floats.withUnsafeBufferPointer { buffer in
                try check(XGDMatrixSetFloatInfo(handle, "label", buffer.baseAddress, UInt64(buffer.count)),
                          "XGDMatrixSetFloatInfo")
            }
        }
        return data
    }
}

/// A Booster (XGBoost's model plus its configuration), freed when released.
final class XGBoostBooster {
    private let handle: BoosterHandle

    /// A booster that caches predictions for `cache` (the data sets it is
    /// trained and evaluated on) so per-round evaluation costs no new prediction.
    init(cache: [XGBoostData]) throws {
        var handle: BoosterHandle?
        var handles: [DMatrixHandle?] = cache.map(\.handle)
        try check(XGBoosterCreate(&handles, UInt64(handles.count), &handle), "XGBoosterCreate")
        guard let handle else { throw XGBoostError.unexpectedOutput("XGBoosterCreate returned no booster") }
        self.handle = handle
    }

    deinit {
        XGBoosterFree(handle)
    }

    func setParameter(_ name: String, _ value: String) throws {
        try check(XGBoosterSetParam(handle, name, value), "XGBoosterSetParam(\(name))")
    }

    /// Grows the trees of round `round` (0-based) on `training`.
    func boost(round: Int, training: XGBoostData) throws {
        try check(XGBoosterUpdateOneIter(handle, Int32(round), training.handle), "XGBoosterUpdateOneIter")
    }

    /// XGBoost's evaluation line for round `round`, e.g.
    /// `[3]\ttrain-logloss:0.512345\tvalidation-logloss:0.623456`.
    func evaluate(round: Int, sets: [(name: String, data: XGBoostData)]) throws -> String {
        var handles: [DMatrixHandle?] = sets.map(\.data.handle)
        // The names, NUL-terminated one after the other in one buffer.
        let characters = sets.flatMap { Array($0.name.utf8CString) }
        var result: UnsafePointer<CChar>?
        try characters.withUnsafeBufferPointer { characters in
            var names: [UnsafePointer<CChar>?] = []
            var offset = 0
            for set in sets {
                names.append(characters.baseAddress! + offset)
                offset += set.name.utf8CString.count
            }
            try check(XGBoosterEvalOneIter(handle, Int32(round), &handles, &names, UInt64(sets.count), &result),
                      "XGBoosterEvalOneIter")
        }
        return result.map { String(cString: $0) } ?? ""
    }

    /// One prediction per row of `data`: the probability of class 1.
    func predict(_ data: XGBoostData, rows: Int) throws -> [Float] {
        let config = #"{"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false}"#
        var shape: UnsafePointer<UInt64>?
        var dimensions: UInt64 = 0
        var result: UnsafePointer<Float>?
        try check(XGBoosterPredictFromDMatrix(handle, data.handle, config, &shape, &dimensions, &result),
                  "XGBoosterPredictFromDMatrix")
        guard let shape, let result else {
            throw XGBoostError.unexpectedOutput("XGBoosterPredictFromDMatrix returned no prediction")
        }
        let extents = (0..<Int(dimensions)).map { Int(shape[$0]) }
        guard extents.reduce(1, *) == rows, extents.first == rows else {
            throw XGBoostError.unexpectedOutput("prediction of shape \(extents) for \(rows) rows")
        }
        // XGBoost owns the buffer until its next call on this thread: copy it now.
        return Array(UnsafeBufferPointer(start: result, count: rows))
    }

    /// The model (trees and learner parameters, not the training configuration)
    /// in `format`: "json" or "ubj".
    func save(format: String) throws -> [UInt8] {
        var length: UInt64 = 0
        var bytes: UnsafePointer<CChar>?
        try check(XGBoosterSaveModelToBuffer(handle, #"{"format": "\#(format)"}"#, &length, &bytes),
                  "XGBoosterSaveModelToBuffer")
        guard let bytes else { throw XGBoostError.unexpectedOutput("XGBoosterSaveModelToBuffer returned no bytes") }
        return bytes.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
            Array(UnsafeBufferPointer(start: $0, count: Int(length)))
        }
    }

    /// Replaces the model with one saved by `save` (XGBoost tells JSON from UBJSON).
    func load(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            try check(XGBoosterLoadModelFromBuffer(handle, buffer.baseAddress, UInt64(buffer.count)),
                      "XGBoosterLoadModelFromBuffer")
        }
    }

    /// Number of features the model was trained on.
    func featureCount() throws -> Int {
        var count: UInt64 = 0
        try check(XGBoosterGetNumFeature(handle, &count), "XGBoosterGetNumFeature")
        return Int(count)
    }

    /// Number of boosting rounds in the model.
    func boostedRounds() throws -> Int {
        var rounds: Int32 = 0
        try check(XGBoosterBoostedRounds(handle, &rounds), "XGBoosterBoostedRounds")
        return Int(rounds)
    }
}
