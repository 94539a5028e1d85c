/// Named sets of study options (`--preset`); an option given explicitly beside a
/// preset wins over the preset's value.
public enum StudyPreset: String, CaseIterable, Sendable {
    /// The defaults: 64-pixel images and XGBoost at 10 rounds, so that the whole study
    /// runs in minutes on two cores.
    case standard = "default"
    /// The course's own Part 7 settings: networks see 224-pixel images (the pretrained
    /// view resized to 256 and centre-cropped to 224, from-scratch resized to 224
    /// without normalisation), XGBoost runs 100 rounds (scikit-learn's `XGBClassifier`
    /// default) on the centre 64x64 crop; batch 32, one epoch and the learning rates are
    /// the defaults already. Hours on two cores: a workload for a cluster.
    case course

    /// Side of the images the networks see.
    public var imageSize: Int {
        switch self {
        case .standard: StudyOptions().imageSize
        case .course: 224
        }
    }

    /// Boosting rounds of XGBoost.
    public var xgboostRounds: Int {
        switch self {
        case .standard: StudySettings.defaultXGBoostRounds
        case .course: 100
        }
    }
}
