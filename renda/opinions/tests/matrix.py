"""The opinions app's entries in the authorization matrix, one module per sub-topic."""

from renda.opinions.tests import matrix_office, matrix_public, matrix_reports

MATRIX = {
    **matrix_public.MATRIX,
    **matrix_office.MATRIX,
    **matrix_reports.MATRIX,
}
