"""The built wheel runs outside a checkout: migrations, templates, static files and catalogs ship inside it."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SMOKE = """
import sys
from pathlib import Path
import surge
assert Path(surge.__file__).is_relative_to(sys.argv[1]), surge.__file__
from starlette.testclient import TestClient
from surge.kernel.settings import Settings
from surge.web.app import create_app
with TestClient(create_app(Settings())) as client:
    assert "csrf_token" in client.get("/login").text
    assert "Iniciar sesión" in client.get("/login?lang=es").text
    assert client.get("/static/surge.css").status_code == 200
    assert client.get("/static/wallboard.js").status_code == 200
    assert client.get("/static/brief-print.css").status_code == 200
    for name in ("centers/index.html", "centers/detail.html", "centers/edit.html", "centers/wallboard.html",
                 "briefs/brief.html", "briefs/archive.html"):
        client.app.state.templates.get_template(name)
    assert client.get("/api/v1/geo/locate?zip=77002").json()["county_fips"] == "48201"
print("wheel ok")
"""


def test_the_wheel_installs_and_serves_outside_the_checkout(tmp_path):
    # Built from a copy: setuptools keeps a build/ folder whose stale files would ride along.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "tests",
                                                                "__pycache__", "surge.db*", ".surge-secret*"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                            "--wheel-dir", str(tmp_path / "dist"), str(source)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (tmp_path / "dist").glob("surge-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "SURGE_ENV": "development", "SURGE_ALLOWED_HOSTS": "testserver",
           "SURGE_DATABASE_URL": f"sqlite:///{elsewhere / 'surge.db'}"}

    def run(*args):
        result = subprocess.run([sys.executable, *args], cwd=elsewhere, env=env, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    assert "upgraded" in run("-m", "surge.cli", "db", "upgrade")
    assert "Demo network loaded" in run("-m", "surge.cli", "demo")
    assert "wheel ok" in run("-c", SMOKE, str(site))
