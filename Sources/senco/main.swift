import SencoCommands

await (SencoCommand.main as () async -> Void)()
