import CQuietExecutor
import Foundation
import PlankeeperCLI

// `plankeeper run` is a daemon that should sleep until a notice is due: on
// Linux, Swift's default executor (libdispatch) wakes the process every
// second once it has run a task, so the daemon runs its tasks on a quiet
// executor instead (Sources/CQuietExecutor). It must be installed before the
// first `await` below leaves the main thread. PLANKEEPER_EXECUTOR=dispatch
// keeps the default, for comparison or if the quiet one is ever suspected.
if CommandLine.arguments.dropFirst().first(where: { !$0.hasPrefix("-") }) == "run",
    ProcessInfo.processInfo.environment["PLANKEEPER_EXECUTOR"] != "dispatch"
{
    _ = pk_quiet_executor_install(Int32(max(2, ProcessInfo.processInfo.activeProcessorCount)))
}
await Plankeeper.runMain()
