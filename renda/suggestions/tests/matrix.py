"""The suggestions app's entries in the authorization matrix, one module per sub-topic."""

from renda.suggestions.tests import (
    matrix_reports,
    matrix_staff,
    matrix_supervision,
    matrix_workspace,
)

MATRIX = {
    **matrix_staff.MATRIX,
    **matrix_workspace.MATRIX,
    **matrix_reports.MATRIX,
    **matrix_supervision.MATRIX,
}
