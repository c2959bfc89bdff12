from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts import services
from accounts.forms import SignupForm
from common.errors import ServiceError


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.enrollee_register(
                national_id_value=data["national_id"],
                name=data["name"],
                phone=data["phone"],
                password=data["password"],
                scheme=data["scheme"],
                jurisdiction_code=data["jurisdiction"].code,
                office_code=data["office"].code,
                preferred_language=get_language() or "zh-hans",
            )
        except ServiceError as error:
            for field, field_errors in error.errors.items():
                for message in field_errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            login(request, user, backend="accounts.backends.NationalIdOrPhoneBackend")
            messages.success(request, _("Your account is ready."))
            return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})
