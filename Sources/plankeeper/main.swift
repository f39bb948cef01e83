import PlankeeperCLI

Plankeeper.runMain()
