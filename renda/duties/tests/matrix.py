"""The duties app's entries in the authorization matrix, one module per sub-topic."""

from renda.duties.tests import (
    matrix_activities,
    matrix_api,
    matrix_archive,
    matrix_entries,
    matrix_evaluations,
    matrix_points,
)

MATRIX = {
    **matrix_activities.MATRIX,
    **matrix_entries.MATRIX,
    **matrix_points.MATRIX,
    **matrix_evaluations.MATRIX,
    **matrix_archive.MATRIX,
    **matrix_api.MATRIX,
}
