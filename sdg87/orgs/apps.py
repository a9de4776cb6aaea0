from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "sdg87.orgs"
    label = "orgs"

    def ready(self) -> None:
        from sdg87.core.mail import mail_manager_lookup_register
        from sdg87.orgs.selectors import managed_organisation_ids

        # The administrators and editors of an organisation see (and may resend) its unsent
        # notifications: core.mail asks this app, without importing it.
        mail_manager_lookup_register(lambda user: managed_organisation_ids(user=user))
