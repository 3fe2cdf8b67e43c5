"""Factories for the tests: one per kind of organisation and per role."""

import factory
from allauth.account.models import EmailAddress

from accounts.models import Nation, Organisation, User
from accounts.roles import Role
from accounts.services import user_sync_role_group

TEST_PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Test organisation {n}")
    kind = Organisation.Kind.POLICE
    nation = Nation.ENGLAND
    email_domains = factory.Sequence(lambda n: [f"org{n}.example"])


class FirstResponderOrganisationFactory(OrganisationFactory):
    kind = Organisation.Kind.POLICE


class AuthorityFactory(OrganisationFactory):
    kind = Organisation.Kind.COMPETENT_AUTHORITY
    short_name = "SCA"
    nation = ""


class PanelBodyFactory(OrganisationFactory):
    kind = Organisation.Kind.PANEL_BODY


class SupportProviderFactory(OrganisationFactory):
    kind = Organisation.Kind.SUPPORT_PROVIDER


ORGANISATION_FACTORY_FOR_ROLE = {
    Role.FIRST_RESPONDER: FirstResponderOrganisationFactory,
    Role.ORGANISATION_ADMIN: FirstResponderOrganisationFactory,
    Role.CASEWORKER: AuthorityFactory,
    Role.MANAGER: AuthorityFactory,
    Role.PANEL_CHAIR: PanelBodyFactory,
    Role.PANEL_MEMBER: PanelBodyFactory,
    Role.SUPPORT_PROVIDER: SupportProviderFactory,
    Role.ANALYST: AuthorityFactory,
    Role.ADMIN: AuthorityFactory,
}


class UserFactory(factory.django.DjangoModelFactory):
    """A user of any role (role=...), with a verified email and TEST_PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@org.example")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.FIRST_RESPONDER
    organisation = factory.LazyAttribute(lambda o: ORGANISATION_FACTORY_FOR_ROLE[Role(o.role)]())
    organisation_verified = True  # a member vouched for; tests of unverified members say so
    is_staff = factory.LazyAttribute(lambda o: o.role == Role.ADMIN)
    is_superuser = factory.LazyAttribute(lambda o: o.role == Role.ADMIN)

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
            user_sync_role_group(user=obj)
