import Foundation
import Study

/// How a run's behaviour is written: exploded, collapsed to one class, diverged.
enum OutcomeText {
    static let note = "Outcome: exploded when a loss exceeds \(Int(TrainingBehaviour.explosionFactor)) × ln K (K classes; "
        + "ln K is the loss of a uniform guess); collapsed when the model at its best epoch predicts one class for every test point."

    static let batchNormAtEpochZero = "At epoch 0, nets with batch norm are evaluated with its initial running statistics "
        + "(mean 0, variance 1), which leave the raw degrees unnormalised: a huge epoch-0 loss there says nothing about training, "
        + "which normalises every batch by its own statistics."

    /// `trained`, `exploded (peak loss 1.5×10⁹ at epoch 0); collapsed to one class`, with
    /// `in 2 of 3 seeds` where not every seed did so.
    static func short(_ behaviours: [TrainingBehaviour], group: RunGroup<MLPRun>) -> String {
        var parts: [String] = []
        func share(_ count: Int) -> String { count == behaviours.count ? "" : " in \(count) of \(behaviours.count) seeds" }
        let exploded = behaviours.filter(\.exploded)
        if let peak = exploded.max(by: { $0.peakLoss < $1.peakLoss }) {
            parts.append("exploded" + share(exploded.count) + " (peak loss " + NumberText.scientific(peak.peakLoss)
                         + (peak.peakEpoch == 0 ? " before training" : " in epoch \(peak.peakEpoch)") + ")")
        }
        let collapsed = behaviours.filter { $0.collapsedClass != nil }.count
        if collapsed > 0 { parts.append("collapsed to one class" + share(collapsed)) }
        if group.diverged { parts.append(DivergenceText.short(group)) }
        return parts.isEmpty ? "trained" : parts.joined(separator: "; ")
    }

    /// A finding for a variant whose loss exploded: how far above a guess, where it ends,
    /// and why when the cause is visible in the configuration (raw inputs through
    /// residual additions with nothing to normalise them).
    static func explosion(_ profile: GradientAnalysis.Profile, group: RunGroup<MLPRun>, classCount: Int) -> String? {
        let exploded = profile.behaviours.filter(\.exploded)
        guard let peak = exploded.max(by: { $0.peakLoss < $1.peakLoss }) else { return nil }
        let guess = log(Double(max(classCount, 2)))
        let seeds = exploded.count == profile.behaviours.count ? "" : " in \(exploded.count) of \(profile.behaviours.count) seeds"
        let peakWhen = peak.peakEpoch == 0 ? " before any training" : " in epoch \(peak.peakEpoch)"
        // A loss already that large before training did not blow up during it: say so.
        let initial = profile.initialLoss.map(NumberText.magnitudeCentre)
        var sentence: String
        if let initial, peak.peakLoss <= 10 * initial {
            sentence = "With \(profile.label), the loss is huge from the start" + seeds + ": " + NumberText.scientific(initial)
                + " before any training (the table's epoch-0 column)"
                + (peak.peakEpoch == 0 ? "" : ", at most " + NumberText.scientific(peak.peakLoss) + peakWhen)
        } else {
            sentence = "With \(profile.label), the loss explodes" + seeds + ": it peaks at " + NumberText.scientific(peak.peakLoss)
                + peakWhen
        }
        sentence += ", against " + NumberText.fixed(guess, 2) + " for a uniform guess over \(classCount) classes"
        if let final = profile.finalLoss {
            sentence += ", and still ends at " + NumberText.scientific(NumberText.magnitudeCentre(final))
        }
        if profile.behaviours.contains(where: { $0.collapsedClass != nil }) {
            sentence += "; at its best epoch the net answers one class for every test point"
        }
        if group.config.residual && !group.config.batchNorm {
            sentence += ". The likely cause, not measured here: the inputs are raw coordinates in degrees (up to 180), and "
                + "each residual block adds its output to its input with nothing to rescale the sum"
        }
        return sentence + "."
    }
}
