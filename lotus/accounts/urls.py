from django.urls import path

from lotus.accounts import views, webauthn

app_name = "accounts"

urlpatterns = [
    path("", views.show_account, name="show_account"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/security-code/", views.verify_code, name="verify_code"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("confirm-password/", views.confirm_password, name="confirm_password"),
    path("two-step-verification/", views.set_up_mfa, name="set_up_mfa"),
    path("two-step-verification/recovery-codes/", views.show_recovery_codes, name="show_recovery_codes"),
    path("password/", views.change_password, name="change_password"),
    path("passkeys/", views.manage_passkeys, name="manage_passkeys"),
    path("passkeys/<int:passkey_id>/remove/", views.remove_passkey, name="remove_passkey"),
    # The passkey ceremonies: JSON endpoints called by lotus/accounts/static/lotus/passkeys.js.
    path("passkeys/add/begin/", webauthn.passkey_registration_begin, name="passkey_registration_begin"),
    path("passkeys/add/complete/", webauthn.passkey_registration_complete, name="passkey_registration_complete"),
    path("passkeys/sign-in/begin/", webauthn.passkey_authentication_begin, name="passkey_authentication_begin"),
    path("passkeys/sign-in/complete/", webauthn.passkey_authentication_complete,
         name="passkey_authentication_complete"),
]
