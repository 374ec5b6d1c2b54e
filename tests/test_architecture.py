"""The layers of docs/architecture.md hold in the code, and CI would notice if they did not.

`lint-imports` checks the contract in pyproject.toml ([tool.importlinter]); these tests make
sure that contract covers every package of ours, that it fails on an arrow running back up
(the function-local `meetings` → `resolutions` imports the layout once had), and that no
module imports another package of ours inside a function, the usual way to hide a cycle.
"""

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def our_packages() -> set[str]:
    return {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in {"tests"} and not path.parent.name.startswith(".")
    }


def contract() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "importlinter"
    ]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
        timeout=120,
    )


def test_the_contract_names_every_package_of_ours_in_its_layers():
    config = contract()
    assert set(config["root_packages"]) == our_packages()
    (layers,) = [c for c in config["contracts"] if c["type"] == "layers"]
    layered = {name.strip() for layer in layers["layers"] for name in layer.split("|")}
    assert layered == our_packages()


def test_the_layers_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture
def copy_of_the_tree(tmp_path):
    for package in our_packages():
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contract_fails_on_an_import_running_back_up(copy_of_the_tree):
    selectors = copy_of_the_tree / "meetings" / "selectors.py"
    selectors.write_text(
        selectors.read_text(encoding="utf-8")
        + "\n\ndef counted(meeting):\n"
        + "    from resolutions.models import Resolution\n\n"
        + "    return Resolution.objects.filter(meeting=meeting).count()\n",
        encoding="utf-8",
    )
    result = lint_imports(copy_of_the_tree)
    assert result.returncode == 1
    assert "1 broken" in result.stdout
    assert "meetings.selectors -> resolutions.models" in result.stdout


def test_the_contract_fails_when_the_kernel_imports_an_app(copy_of_the_tree):
    pagecache = copy_of_the_tree / "kernel" / "pagecache.py"
    pagecache.write_text(
        pagecache.read_text(encoding="utf-8") + "\nfrom members.models import Member  # noqa\n",
        encoding="utf-8",
    )
    result = lint_imports(copy_of_the_tree)
    assert result.returncode == 1
    assert "kernel.pagecache -> members.models" in result.stdout


def imported_module(path: Path, node: ast.ImportFrom, root: Path) -> str:
    """The absolute name of what `from ... import` names, relative imports resolved."""
    if not node.level:
        return node.module or ""
    package = list(path.relative_to(root).with_suffix("").parts)[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def function_local_imports(path: Path, root: Path = ROOT) -> list[str]:
    """Imports of another package of ours inside a function body of this module."""
    own = path.relative_to(root).parts[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom):
                names = [imported_module(path, inner, root)]
            elif isinstance(inner, ast.Import):
                names = [alias.name for alias in inner.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in our_packages() and top != own:
                    found.append(f"{path.relative_to(root)}:{inner.lineno} imports {name}")
    return found


def test_no_module_imports_another_package_of_ours_inside_a_function():
    # Migrations are the exception Django asks for: their RunPython functions import the
    # code they run when they run, not when the migration graph is loaded.
    modules = [
        path
        for package in our_packages()
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    ]
    found = [line for path in sorted(modules) for line in function_local_imports(path)]
    assert found == []


def test_the_check_finds_a_function_local_import(tmp_path):
    probe = tmp_path / "meetings" / "selectors.py"
    probe.parent.mkdir()
    probe.write_text(
        "def minutes_for(meeting):\n    from resolutions.models import Resolution\n",
        encoding="utf-8",
    )
    assert function_local_imports(probe, tmp_path) == [
        "meetings/selectors.py:2 imports resolutions.models"
    ]
    # A relative import inside a function is resolved too: same package, not reported.
    probe.write_text("def f():\n    from .models import Meeting\n", encoding="utf-8")
    assert function_local_imports(probe, tmp_path) == []


def test_every_import_of_ours_names_a_module_that_exists():
    # grimp leaves out an import it cannot resolve, so a module left behind by a move (a
    # relative import of what went to another package) would pass the contract unseen.
    def exists(name: str) -> bool:
        path = ROOT.joinpath(*name.split("."))
        return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()

    missing = []
    for package in our_packages():
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom):
                    names = [imported_module(path, node, ROOT)]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                else:
                    continue
                missing += [
                    f"{path.relative_to(ROOT)}:{node.lineno} {name}"
                    for name in names
                    if name.split(".")[0] in our_packages() and not exists(name)
                ]
    assert missing == []
