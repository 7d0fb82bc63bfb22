"""The reports app's entries in the authorization matrix."""

from renda.tests.matrix import EVERYONE, Case

MATRIX = {
    "reports:dashboard": Case(EVERYONE),  # the public home when not signed in
}
