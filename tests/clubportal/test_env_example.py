""".env.example lists every variable the portal reads: an operator learns them all from it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Set by the portal for itself, not by an operator: the settings module (manage.py, wsgi) and
# openpyxl's parser choice (clubportal/__init__.py).
SET_BY_THE_PORTAL = {"DJANGO_SETTINGS_MODULE", "OPENPYXL_LXML"}


def names_read(source: str) -> set[str]:
    """Names passed as a string to os.environ.get / os.environ[...] / os.getenv / env_*()."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = ast.unparse(node.func)
            reads = func in {"os.environ.get", "os.getenv", "environ.get"} or func.startswith(
                "env_"
            )
            if reads and node.args and isinstance(node.args[0], ast.Constant):
                found.add(node.args[0].value)
        elif (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
        ):
            found.add(node.slice.value)
    return found


def code_files() -> list[Path]:
    packages = [p.parent for p in ROOT.glob("*/__init__.py") if p.parent.name != "tests"]
    return [ROOT / "gunicorn.conf.py", *(f for package in packages for f in package.rglob("*.py"))]


def listed() -> set[str]:
    names = set()
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        line = line.removeprefix("# ").strip()
        if "=" in line and line.split("=")[0].isupper() and " " not in line.split("=")[0]:
            names.add(line.split("=")[0])
    return names


def test_every_variable_the_code_reads_is_in_env_example():
    read = set().union(*(names_read(f.read_text(encoding="utf-8")) for f in code_files()))
    assert {"GUNICORN_TIMEOUT", "DJANGO_SECRET_KEY", "DEMO_CENTRE_PASSWORD"} <= read
    assert sorted(read - SET_BY_THE_PORTAL - listed()) == []


def test_the_reader_finds_each_way_of_reading():
    source = (
        'os.environ.get("A", "1")\nos.environ["B"]\nos.getenv("C")\nenv_bool("D")\n'
        'env_list("E", "")\nprint("F")\n'
    )
    assert names_read(source) == {"A", "B", "C", "D", "E"}
