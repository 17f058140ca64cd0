import SencoCommands
SencoCommand.main()
