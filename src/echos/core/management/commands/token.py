from django.core.management.base import BaseCommand, CommandError

from echos.core.exceptions import RuleViolation
from echos.core.models import ApiToken, User
from echos.core.tokens import create_token, revoke_token, tokens_of


class Command(BaseCommand):
    help = (
        "Create, list or revoke API tokens: echos token create --user NAME [--name TEXT] "
        "[--scope read|write]. The same rules as the account's API tokens page apply (a limit "
        "per account, audit and e-mail); the raw token is printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("--user", required=True)
        parser.add_argument("--name", default="command line")
        parser.add_argument(
            "--scope",
            choices=ApiToken.Scope.values,
            default=ApiToken.Scope.WRITE,
            help="read: reads only; write (default): reads and writes",
        )
        parser.add_argument("--prefix", help="Token prefix to revoke")

    def handle(self, *args, action, user, name, scope, prefix, **options):
        try:
            account = User.objects.get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"No user named {user!r}.") from None
        if action == "create":
            try:
                _token, raw = create_token(user=account, name=name, scope=scope)
            except RuleViolation as refused:
                raise CommandError(f"{refused.field}: {refused.message}") from None
            self.stdout.write(raw)
        elif action == "list":
            for t in tokens_of(account):
                self.stdout.write(
                    f"{t.prefix}…  {t.name or '-'}  {t.scope}  created {t.created_at:%Y-%m-%d}  "
                    f"last used {t.last_used_at or 'never'}"
                )
        else:
            token = ApiToken.objects.filter(user=account, prefix=prefix or "").first()
            if token is None:
                raise CommandError("No token with that prefix.")
            revoke_token(actor=None, token=token)
            self.stdout.write("Revoked.")
