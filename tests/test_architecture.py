"""The kernel (`core/`) and the file readers (`files/`) sit below the apps: read from their
import graphs, not from their behaviour, so an import that would pull a domain app (or the
wiring) into them fails here first."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KERNEL = ROOT / "core"
FILES = ROOT / "files"
DOMAIN_APPS = {"meetings", "postulates", "departments", "organisations", "programmes"}
# The wiring lists every app, so it is above them all.
ABOVE_THE_KERNEL = DOMAIN_APPS | {"krakow_ngo"}


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path):
    """Every module name `path` imports, relative imports resolved, at any depth of the file
    (a function's local import counts as much as one at the top)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                yield ".".join([*base, node.module] if node.module else base)
            else:
                yield node.module


def package_imports(package):
    return {
        (module_name(path), imported)
        for path in sorted(package.rglob("*.py"))
        for imported in imported_modules(path)
    }


def kernel_imports():
    return package_imports(KERNEL)


def project_packages():
    return {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"core"}


def test_the_kernel_is_read_from_its_files():
    modules = {module for module, _ in kernel_imports()}
    assert {"core.publishing", "core.ownership", "core.admin", "core.views"} <= modules


def test_the_kernel_imports_no_domain_app_nor_the_wiring():
    offending = sorted(
        (module, imported)
        for module, imported in kernel_imports()
        if imported.split(".")[0] in ABOVE_THE_KERNEL
    )
    assert offending == []


def test_the_kernel_imports_no_app_at_all():
    """Not even the readers above the domain (search, exports, staff roles): what the kernel's
    base classes need of them (staff scoping, the CSV writer) lives in the kernel itself."""
    upward = sorted(
        (module, imported)
        for module, imported in kernel_imports()
        if imported.split(".")[0] in project_packages()
    )
    assert upward == []


def product_files():
    """Every Python file the site runs: its packages and the scripts beside them, not the
    benchmarks (bench/) nor the tests."""
    packages = sorted((project_packages() | {"core"}) - {"bench"})
    files = [path for package in packages for path in sorted((ROOT / package).rglob("*.py"))]
    return files + sorted(ROOT.glob("*.py"))


def test_nothing_in_the_product_imports_the_benchmarks():
    """bench/ measures the site from outside: the site must run without it."""
    files = product_files()
    assert {"manage", "sampledata.generator", "stats.selectors"} <= {
        module_name(path) for path in files
    }
    offending = sorted(
        (module_name(path), imported)
        for path in files
        for imported in imported_modules(path)
        if imported.split(".")[0] == "bench"
    )
    assert offending == []


def test_the_file_readers_are_read_from_their_files():
    modules = {module for module, _ in package_imports(FILES)}
    assert {"files.uploads", "files.text_extraction"} <= modules


def test_the_file_readers_import_no_domain_app_nor_the_wiring():
    """Checking, reading and opening files knows nothing of meetings or postulates: the apps
    call it, never the other way round."""
    offending = sorted(
        (module, imported)
        for module, imported in package_imports(FILES)
        if imported.split(".")[0] in ABOVE_THE_KERNEL
    )
    assert offending == []
