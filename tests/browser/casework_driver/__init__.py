"""Page objects for the casework browser tests (tests/browser/test_casework_journeys.py and the casework pages of
test_accessibility.py): each person at their own browser, acting on the pages by what they show, as a user would.

- `Person` (person.py): signs in (again when the session has expired), checks each page with axe-core once per
  run, takes screenshots into /tmp/casework-shots/, follows links and buttons, reads notifications, downloads PDFs.
- `Caseworker` and `Manager` (staff.py), `Responder` (responder.py).
- `assert_accessible` (checks.py): axe-core, with GOV.UK components' known cases let through.
- arrange.py: the data the tests start from, as the services would have written it.
"""

from tests.browser.casework_driver.checks import SHOTS, assert_accessible, pdf_text
from tests.browser.casework_driver.person import Person, date_in, path_of
from tests.browser.casework_driver.responder import Responder
from tests.browser.casework_driver.staff import Caseworker, Manager, Staff

__all__ = [
    "SHOTS",
    "Caseworker",
    "Manager",
    "Person",
    "Responder",
    "Staff",
    "assert_accessible",
    "date_in",
    "path_of",
    "pdf_text",
]
