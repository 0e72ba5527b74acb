from kommunpress.cli import main

main()
