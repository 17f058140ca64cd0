import SencoCommands

await SencoCommand.start()
