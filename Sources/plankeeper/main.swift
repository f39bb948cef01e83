import PlankeeperCLI

await Plankeeper.runMain()
