"""The reports app's entries in the authorization matrix."""

from renda.tests.matrix import SIGNED_IN, Case

MATRIX = {
    "reports:dashboard": Case(SIGNED_IN),
}
