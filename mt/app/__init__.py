"""The application: the `jisr` command line and the runners behind each command. The only
layer that knows every stage; nothing below it (mt foundations, glossary, aligned) imports it."""
