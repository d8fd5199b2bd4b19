"""Permission matrix rows for the partnership's pages added after the matrix itself
(the older ones are in tests/matrix.py)."""

from matrix import WRITE, Route

ROUTES = {
    "partnarskap:samansetjing_endre": Route(lambda d: {"slug": d["utval"].slug}, WRITE),
}
