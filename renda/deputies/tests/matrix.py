"""The deputies app's entries in the authorization matrix, one module per sub-topic."""

from renda.deputies.tests import (
    matrix_contacts,
    matrix_imports,
    matrix_roster,
    matrix_stations,
    matrix_structure,
)

MATRIX = {
    **matrix_roster.MATRIX,
    **matrix_imports.MATRIX,
    **matrix_structure.MATRIX,
    **matrix_stations.MATRIX,
    **matrix_contacts.MATRIX,
}
