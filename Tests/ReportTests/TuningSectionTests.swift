import Foundation
import Testing
import TestSupport
@testable import Report
@testable import Study

/// 6.2-tune in the report: present only when the study ran with `--tune`, and its
/// findings follow the numbers.
@Suite struct TuningSectionTests {
    private func findings(_ study: FixtureStudy) throws -> [String] {
        ReportFixtures.findings(try ReportFixtures.site(study), "6.2-tune")
    }

    @Test func theSectionAppearsOnlyWithTune() throws {
        let plain = try ReportFixtures.site(FixtureStudy()).file("index.html")!.text
        #expect(!plain.contains("q-6-2-tune"))
        #expect(plain.contains("of 18 questions"))
        var study = FixtureStudy()
        study.tune = true
        let tuned = try ReportFixtures.site(study)
        let html = tuned.file("index.html")!.text
        #expect(ReportFixtures.section(html, "6.2-tune")?.contains("class=\"question computed\"") == true)
        #expect(tuned.file("tables/6.2-tune-chosen-settings.csv") != nil)
        #expect(tuned.file("figures/6.2-tune-validation-accuracy.svg") != nil)
    }

    @Test func findingsFollowTheNumbers() throws {
        var study = FixtureStudy()
        study.tune = true
        // In the fixture the grid's setting scores best for every model (other rates and
        // batch sizes cost accuracy), so tuning keeps it everywhere.
        let untouched = try findings(study)
        #expect(untouched.contains { $0.hasPrefix("The grid's own setting (lr 0.001, batch 256) is already the best of the nine for depth 1, width 16") })
        #expect(untouched.contains("The best model is the same with and without tuning: depth 6, width 32."))
        #expect(!untouched.contains { $0.contains("Tuning helps") })
        // A better setting for the shallowest model, enough to make it the best.
        study.tuningOffset = ["1x16 lr 0.01 batch 1024": 0.2]
        let helped = try findings(study)
        #expect(helped.contains { $0.hasPrefix("Tuning helps depth 1, width 16 most: lr 0.01 with batch 1024 raises its validation accuracy by") })
        #expect(helped.contains { $0.hasPrefix("Tuning changes the best model: depth 6, width 32 without tuning, depth 1, width 16 with it") })
        #expect(!helped.contains { $0.contains("already the best of the nine for depth 1, width 16") })
    }

    @Test func withSeedsAGainInsideTheNoiseIsNotCalledOne() throws {
        var study = FixtureStudy()
        study.tune = true
        study.seeds = 3
        study.tuningSeedJitter = 0.02
        study.tuningOffset = ["2x16 lr 0.0001 batch 256": 0.001]
        let found = try findings(study)
        #expect(found.contains { $0.contains("lr 0.0001") } || found.contains { $0.contains("depth 2, width 16") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("For depth 2, width 16, the chosen setting's gain is within the seeds' noise") })
        #expect(!found.contains { $0.contains("Tuning helps depth 2") })
    }
}
