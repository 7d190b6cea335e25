from untoc_kg.cli import main

main()
