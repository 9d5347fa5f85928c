# The editors' world (two departments, their editors and a coordinator) for the admin tests.
from tests.editors.conftest import login, world  # noqa: F401
