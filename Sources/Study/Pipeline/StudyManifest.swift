import Datasets
import Engine
import Foundation
import Logging
import Support

/// What the study's runs ran on, part by part: saved in the cache folder by every
/// `nnreport run`, so that `nnreport render` rebuilds every cache key and figure
/// without the data files or any training.
///
/// A run updates the record of each part it plans and keeps the others: after
/// `run --only 7`, the report still shows Part 6 as its last run left it.
public struct StudyManifest: Codable, Equatable, Sendable {
    /// Part 6: the map and the settings it was last run with.
    public var map: MapRecord?
    /// Part 7: the face images, the backbone and the settings they were last run with.
    public var faces: FaceRecord?
    /// The machine of the last run, for the report's provenance.
    public var machine: MachineRecord?

    public init(map: MapRecord? = nil, faces: FaceRecord? = nil, machine: MachineRecord? = nil) {
        self.map = map
        self.faces = faces
        self.machine = machine
    }

    /// The settings of `part`'s record, if the part has been run.
    public func settings(_ part: StudyPart) -> StudySettings? {
        switch part {
        case .six: map?.settings
        case .seven: faces?.settings
        }
    }

    /// Whether nothing has been run with this cache yet.
    public var isEmpty: Bool { map == nil && faces == nil }

    static let fileName = "manifest.json"

    public func save(in cacheDirectory: URL) throws {
        try AtomicFile.writeJSON(self, to: cacheDirectory.appendingPathComponent(Self.fileName))
    }

    /// The manifest of the runs in `cacheDirectory`; empty when nothing has been run with it.
    public static func load(from cacheDirectory: URL) throws -> StudyManifest {
        let url = cacheDirectory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            let legacy = ["study.json", "faces.json"].filter {
                FileManager.default.fileExists(atPath: cacheDirectory.appendingPathComponent($0).path)
            }
            if !legacy.isEmpty {
                let files = legacy.joined(separator: ", ")
                Logger(label: "nnreport.cache").warning(
                    "\(cacheDirectory.path) was written by an earlier nnreport (\(files), no \(fileName)): run `nnreport run` with the same options once; it reuses every cached result and records them again")
            }
            return StudyManifest()
        }
        do {
            return try JSONDecoder().decode(StudyManifest.self, from: Data(contentsOf: url))
        } catch {
            throw DataError(file: url.path, "is unreadable (\(FileProblem.reason(of: error))); run `nnreport run` again to rewrite it")
        }
    }
}

/// The machine a study ran on: its cores and the BLAS library with the kernel it selected.
public struct MachineRecord: Codable, Equatable, Sendable {
    public var cores: Int
    public var blas: String

    /// This machine.
    public static var current: MachineRecord {
        MachineRecord(cores: ProcessInfo.processInfo.activeProcessorCount, blas: BLAS.configuration)
    }
}
