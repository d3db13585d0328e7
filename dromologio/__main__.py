from dromologio.cli import app

app()
