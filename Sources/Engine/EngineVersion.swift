/// Version of the numerical engine. Part of every cached result's key: bump it when
/// a change can alter any trained number, so stale results are recomputed.
public enum EngineVersion {
    public static let current = "0.6.0"
}
