from labourlens.cli import main

main()
