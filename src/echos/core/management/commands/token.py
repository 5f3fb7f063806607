from django.core.management.base import BaseCommand, CommandError

from echos.core.models import ApiToken, User


class Command(BaseCommand):
    help = "Create, list or revoke API tokens: echos token create --user NAME"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("--user", required=True)
        parser.add_argument("--name", default="")
        parser.add_argument("--prefix", help="Token prefix to revoke")

    def handle(self, *args, action, user, name, prefix, **options):
        try:
            account = User.objects.get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"No user named {user!r}.") from None
        if action == "create":
            _token, raw = ApiToken.issue(account, name)
            self.stdout.write(raw)
        elif action == "list":
            for t in account.tokens.all():
                self.stdout.write(
                    f"{t.prefix}…  {t.name or '-'}  created {t.created_at:%Y-%m-%d}  "
                    f"last used {t.last_used_at or 'never'}"
                )
        else:
            deleted, _ = ApiToken.objects.filter(user=account, prefix=prefix or "").delete()
            if not deleted:
                raise CommandError("No token with that prefix.")
            self.stdout.write("Revoked.")
