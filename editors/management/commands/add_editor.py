import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from departments.models import Department
from editors.models import EditorProfile
from editors.roles import ensure_groups

PASSWORD_VARIABLE = "DJANGO_EDITOR_PASSWORD"


class Command(BaseCommand):
    help = (
        "Creates or updates a staff account that edits the given departments' materials "
        "(--department, repeatable) or everything (--coordinator). With --noinput the "
        f"password is read from {PASSWORD_VARIABLE}, as createsuperuser --noinput does."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--department",
            action="append",
            default=[],
            metavar="SLUG",
            help="slug of a department the editor works for (repeat for several)",
        )
        parser.add_argument("--coordinator", action="store_true", help="may edit everything")
        parser.add_argument("--email", default="", help="e-mail address of the account")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"do not prompt; take the password from {PASSWORD_VARIABLE}",
        )

    def handle(self, *args, username, department, coordinator, email, interactive, **options):
        if not department and not coordinator:
            raise CommandError("Podaj --department SLUG (można kilka razy) albo --coordinator.")
        departments = self.find_departments(department)
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        password = self.read_password(
            user or user_model(username=username, email=email), interactive
        )

        with transaction.atomic():
            editors, coordinators = ensure_groups()
            created = user is None
            if created:
                user = user_model(username=username, email=email)
            elif email:
                user.email = email
            user.is_staff = True
            if password:
                user.set_password(password)
            user.save()
            user.groups.remove(editors, coordinators)
            user.groups.add(coordinators if coordinator else editors)
            profile, _ = EditorProfile.objects.get_or_create(user=user)
            profile.is_coordinator = coordinator
            profile.save()
            profile.departments.set(departments)

        role = (
            "koordynator" if coordinator else "redaktor: " + ", ".join(d.name for d in departments)
        )
        verb = "Utworzono" if created else "Zaktualizowano"
        self.stdout.write(self.style.SUCCESS(f"{verb} konto {username} ({role})."))

    def find_departments(self, slugs):
        departments = list(Department.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {d.slug for d in departments})
        if missing:
            raise CommandError(f"Nie ma wydziału o adresie: {', '.join(missing)}.")
        return departments

    def read_password(self, user, interactive):
        """The new password, or None to keep an existing account's password."""
        if interactive:
            password = getpass.getpass("Hasło: ")
            if password != getpass.getpass("Hasło (ponownie): "):
                raise CommandError("Hasła się różnią.")
        else:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            if not password:
                if user.pk:
                    return None
                raise CommandError(
                    f"Ustaw zmienną {PASSWORD_VARIABLE}: nowe konto potrzebuje hasła."
                )
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("Hasło odrzucone: " + " ".join(error.messages)) from error
        return password
