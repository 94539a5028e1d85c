import Foundation
import TestSupport
import Testing
@testable import Cluster

/// The batch scripts of `slurm submit`: every option passed on, paths quoted, the
/// array and its shard, the report last. Submitting them is `make test-slurm`'s part.
@Suite struct SlurmScriptTests {
    let scripts = SlurmScripts(
        binary: "/opt/nn report/nnreport", studyArguments: ["--seeds", "3", "--data", "/data/it's here"], only: ["6.2", "7"],
        output: URL(fileURLWithPath: "/scratch/out"), cache: URL(fileURLWithPath: "/scratch/out/.cache"),
        templates: URL(fileURLWithPath: "/opt/templates"), workingDirectory: URL(fileURLWithPath: "/home/me"), tasks: 4,
        resources: SlurmResources(partition: "cpu", cpusPerTask: 8, memory: "4G", time: "01:00:00", account: "lab",
                                  extra: ["--qos=short"]))

    @Test func theArrayRunsOneShardPerTaskWithEveryOption() {
        let train = scripts.train
        #expect(train.hasPrefix("#!/bin/bash\n#SBATCH --job-name=nnreport-train\n#SBATCH --array=0-3\n"))
        for line in ["#SBATCH --cpus-per-task=8", "#SBATCH --partition=cpu", "#SBATCH --mem=4G", "#SBATCH --time=01:00:00",
                     "#SBATCH --account=lab", "#SBATCH --qos=short", "#SBATCH --output=/scratch/out/slurm/logs/%x-%A_%a.out",
                     "cd /home/me"] {
            #expect(train.contains(line + "\n"), "\(line)")
        }
        #expect(train.contains("exec '/opt/nn report/nnreport' run --seeds 3 --data '/data/it'\\''s here' --only 6.2,7 "
                               + "--output /scratch/out --cache /scratch/out/.cache --no-render "
                               + "--jobs \"${SLURM_CPUS_PER_TASK:-8}\" --shard \"$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT\"\n"))
    }

    @Test func theOtherStagesTrainTheDependenciesAndRender() {
        #expect(scripts.dependencies.contains("--only-dependencies --no-render"))
        #expect(!scripts.dependencies.contains("--array"))
        #expect(scripts.render.contains("exec '/opt/nn report/nnreport' render --output /scratch/out --cache /scratch/out/.cache "
                                        + "--templates /opt/templates\n"))
        #expect(scripts.render.contains("#SBATCH --cpus-per-task=1\n"))
        #expect(!scripts.render.contains("--mem"))
    }

    @Test func aDamagedSubmissionRecordIsNamedWithoutADecoderDump() throws {
        let output = TestFolder.root.appendingPathComponent("nnreport-slurm-\(UUID().uuidString)")
        let folder = output.appendingPathComponent("slurm")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: output) }
        try Data("{\"train\": 12".utf8).write(to: folder.appendingPathComponent("submission.json"))
        let error = try #require(throws: ClusterError.self) { try SlurmSubmission.load(output: output) }
        #expect(error.description == "\(folder.path)/submission.json is not a submission record of nnreport (damaged or edited); "
                + "submit again to rewrite it")
    }

    @Test func wordsAreQuotedForBash() {
        #expect(SlurmScripts.quoted("/plain/path-1.2") == "/plain/path-1.2")
        #expect(SlurmScripts.quoted("a b") == "'a b'")
        #expect(SlurmScripts.quoted("it's") == "'it'\\''s'")
        #expect(SlurmScripts.quoted("$(rm -rf /)") == "'$(rm -rf /)'")
        #expect(SlurmScripts.quoted("") == "''")
    }
}
