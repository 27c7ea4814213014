"""The house's layering, read from the source with ``ast``: tasks call services, and services never import
a tasks module (not even inside a function), so the two never import each other. A service queues a
task by its name with ``portal.enqueue.enqueue``."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "children", "expectations", "transitions")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module ``source`` may import, wherever the import stands (functions included), relative
    imports resolved: for ``from x import y`` both ``x`` and ``x.y`` (``y`` may be a module), and the
    names given to ``importlib.import_module`` and ``__import__`` as literals."""
    package = module if is_package else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if called in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                names.add(node.args[0].value)
    return names


def project_imports() -> dict[str, set[str]]:
    """Module name → the modules it imports, for every module of the project's packages."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = module_name(path)
            source = path.read_text(encoding="utf-8")
            modules[name] = imported_modules(source, name, is_package=path.name == "__init__.py")
    return modules


def is_services(module: str) -> bool:
    return "services" in module.split(".")


def tasks_module(name: str) -> str | None:
    """The tasks module ``name`` is or lies under (``portal.meetings.tasks``), if any."""
    parts = name.split(".")
    return ".".join(parts[: parts.index("tasks") + 1]) if "tasks" in parts else None


def violations(modules: dict[str, set[str]]) -> list[str]:
    """Each services module that imports a tasks module, naming the pair, and whether the tasks module
    imports it back (the cycle a function-level import hides)."""
    found = set()
    for module, imports in modules.items():
        if not is_services(module):
            continue
        for name in imports:
            if (tasks := tasks_module(name)) is None:
                continue
            back = any(i == module or i.startswith(f"{module}.") for i in modules.get(tasks, ()))
            found.add(f"{module} imports {tasks}" + (f", which imports {module} back" if back else ""))
    return sorted(found)


def test_services_never_import_tasks_modules():
    found = violations(project_imports())
    assert found == [], (
        "Services queue tasks by name with portal.enqueue.enqueue instead of importing them:\n"
        + "\n".join(found)
    )


def test_the_walk_reads_the_real_modules():
    modules = project_imports()
    assert "portal.meetings.services.delivery" in modules["portal.meetings.tasks"]
    assert "expectations.services.agreements" in modules
    assert sum(is_services(m) for m in modules) >= 10


SERVICE_IMPORTS = [
    "from shop.tasks import send\n",
    "import shop.tasks\n",
    "from shop import tasks\n",
    "def pay():\n    from shop.tasks import send\n    send.delay()\n",
    "class Order:\n    def pay(self):\n        from .tasks import send\n",
    "import importlib\n\ndef pay():\n    importlib.import_module('shop.tasks.mail')\n",
]


@pytest.mark.parametrize("source", SERVICE_IMPORTS)
def test_the_checker_catches_a_services_module_and_a_tasks_module_importing_each_other(source):
    modules = {
        "shop.services": imported_modules(source, "shop.services"),
        "shop.tasks": imported_modules("from . import services\n", "shop.tasks"),
    }
    assert violations(modules) == ["shop.services imports shop.tasks, which imports shop.services back"]


def test_the_checker_resolves_relative_imports_in_a_services_package():
    source = "def pay():\n    from ...tasks import send\n"
    modules = {
        "shop.orders.services.payment": imported_modules(source, "shop.orders.services.payment"),
        "shop.tasks": imported_modules("from shop.orders.services.payment import pay\n", "shop.tasks"),
    }
    assert violations(modules) == [
        "shop.orders.services.payment imports shop.tasks, which imports shop.orders.services.payment back"
    ]


def test_the_checker_names_a_one_way_import_too_and_lets_tasks_import_services():
    modules = {
        "shop.services": imported_modules("from shop.tasks import send\n", "shop.services"),
        "shop.tasks": set(),
        "billing.tasks": imported_modules("from shop import services\n", "billing.tasks"),
    }
    assert violations(modules) == ["shop.services imports shop.tasks"]
