# The editors' world (two departments, their editors and a coordinator) and logging in.
from tests.editors.conftest import login, world  # noqa: F401
