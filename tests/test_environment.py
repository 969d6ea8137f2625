"""environment.yml must list exactly the dependencies of pyproject.toml."""

import tomllib

import yaml

from newslab.paths import repo_root


def _pip_section(env: dict) -> list[str]:
    for dep in env["dependencies"]:
        if isinstance(dep, dict) and "pip" in dep:
            return dep["pip"]
    raise AssertionError("environment.yml has no pip: section")


def test_environment_yml_mirrors_pyproject():
    root = repo_root()
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    wanted = set(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted |= set(extra)
    env = yaml.safe_load((root / "environment.yml").read_text())
    listed = set(_pip_section(env))
    assert listed - wanted == set(), "environment.yml lists what pyproject.toml does not"
    assert wanted - listed == set(), "pyproject.toml lists what environment.yml does not"


def test_environment_python_matches_requires_python():
    root = repo_root()
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((root / "environment.yml").read_text())
    pythons = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    assert pythons == ["python" + project["requires-python"]]
