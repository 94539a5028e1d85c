import Datasets
import Engine
import Foundation
import XCTest
@testable import Study

/// The whole of Part 6 on the quick plan, trained and analysed.
final class EndToEndTests: XCTestCase {
    func testQuickPartSixProducesEveryAnalysis() throws {
        let plan = StudyPlan(quick: true, seed: 0, seedCount: 2)
        let data = StudyFixtures.data
        let experiments = StudyCatalog.part6
        let planned = StudyRunner.plannedRuns(experiments, plan: plan, dataHash: data.points.contentHash)
        // Shared runs are trained once: the base model serves q1, q3, the grid and q7.
        let requested = experiments.reduce(0) { $0 + $1.runs(for: plan).count } * 2
        XCTAssertLessThan(planned.count, requested)
        let results = try StudyRunner(cache: ResultCache(directory: StudyFixtures.temporaryDirectory("e2e")), jobs: 2)
            .run(planned, data: data)
        let analyses = StudyAnalysis.analyze(experiments, plan: plan, dataHash: data.points.contentHash, results: results)
        XCTAssertEqual(analyses.compactMap(\.result).map(\.id), experiments.map(\.id))

        for (_, result) in analyses {
            let result = try XCTUnwrap(result)
            for group in result.groups {
                XCTAssertEqual(group.seeds, [0, 1])
                XCTAssertFalse(group.curves.epochs.isEmpty)
            }
            switch result.analysis {
            case .learningRate(let analysis):
                XCTAssertEqual(Set(analysis.ranking), Set(result.groups.map(\.label)))
            case .gradients(let analysis):
                XCTAssertEqual(analysis.profiles.first?.layers, [0, 30, 60, 90, 95, 99])
                XCTAssertEqual(analysis.profiles.first?.magnitudes.first?.count, 6)
            case .modelGrid(let analysis):
                XCTAssertEqual(analysis.ranking.count, result.groups.count)
            default:
                break
            }
        }
        // Every run with a decision grid also has one prediction per test point.
        for result in results.values where result.decisionGrid != nil {
            XCTAssertEqual(result.decisionGrid?.classes.count, plan.decisionGrid * plan.decisionGrid)
            XCTAssertEqual(result.testPredictions?.count, data.points.test.count)
        }
        // results.json encodes without error (no NaN) and decodes back.
        let manifest = StudyManifest(plan: plan, data: data.points)
        let url = StudyFixtures.temporaryDirectory("json").appendingPathComponent("results.json")
        try StudyResults(manifest: manifest, analyses: analyses).write(to: url)
        let decoded = try JSONDecoder().decode(StudyResults.self, from: Data(contentsOf: url))
        XCTAssertEqual(decoded.experiments.count, experiments.count)
        XCTAssertTrue(decoded.missing.isEmpty)
    }
}
