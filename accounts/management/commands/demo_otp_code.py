from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Local run only: print the code an authenticator app would show now for a demo staff or admin "
        "account, for trying the portal without a phone."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEMO_ACCOUNTS:
            raise CommandError("Only with DEBUG on: real accounts use their own authenticator app.")
        # The confirmed app, or the one being set up (the set-up page asks for its first code).
        device = TOTPDevice.objects.filter(user__username=username).order_by("-confirmed", "pk").first()
        if device is None:
            raise CommandError(f"{username} has no authenticator yet: log in once to reach the set-up page.")
        self.stdout.write(f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}")
