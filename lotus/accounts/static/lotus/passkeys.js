// Passkeys (WebAuthn) for the second sign-in step. Progressive enhancement only: without
// JavaScript, or in a browser that cannot use passkeys, the passkey parts of the page
// stay hidden and the authenticator app works as before.
//
// A page opts in with an element carrying data-passkey-add (adding a passkey) or
// data-passkey-sign-in (using one), with data-begin-url, data-complete-url and
// data-csrf-token. The server (django-otp-webauthn) sends options with binary values
// as base64url text; they are turned into bytes for the browser, and back for the reply.

const MESSAGES = {
  working: 'Follow what your device asks you to do.',
  cancelled: 'Nothing was changed because the passkey request was cancelled or timed out. Try again, or use your authenticator app.',
  alreadyAdded: 'This device already holds a passkey for your LOTUS account. You do not need to add it again.',
  needsPassword: 'For your security, confirm your password again, then add your passkey.',
  notRecognised: 'That passkey was not accepted. Try again, or enter the code from your authenticator app.',
  failed: 'Something went wrong. Try again, or use your authenticator app.'
}

function toBytes (text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/')
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4)
  const binary = atob(padded)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i)
  return bytes.buffer
}

function toText (buffer) {
  if (!buffer) return undefined
  let binary = ''
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

async function post (url, csrfToken, body) {
  const response = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrfToken },
    body: body === undefined ? '{}' : JSON.stringify(body)
  })
  let data = {}
  try { data = await response.json() } catch (error) { data = {} }
  return { ok: response.ok, status: response.status, data }
}

function describe (credential) {
  const reply = {
    id: credential.id,
    rawId: toText(credential.rawId),
    type: credential.type,
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    response: { clientDataJSON: toText(credential.response.clientDataJSON) }
  }
  const response = credential.response
  if (response.attestationObject) {
    reply.response.attestationObject = toText(response.attestationObject)
    reply.response.transports = response.getTransports ? response.getTransports() : []
  } else {
    reply.response.authenticatorData = toText(response.authenticatorData)
    reply.response.signature = toText(response.signature)
    reply.response.userHandle = toText(response.userHandle)
  }
  return reply
}

function creationOptions (options) {
  return {
    ...options,
    challenge: toBytes(options.challenge),
    user: { ...options.user, id: toBytes(options.user.id) },
    excludeCredentials: (options.excludeCredentials || []).map(c => ({ ...c, id: toBytes(c.id) }))
  }
}

function requestOptions (options) {
  return {
    ...options,
    challenge: toBytes(options.challenge),
    allowCredentials: (options.allowCredentials || []).map(c => ({ ...c, id: toBytes(c.id) }))
  }
}

function setUp (container, ceremony) {
  const button = container.querySelector('[data-passkey-button]')
  const status = container.querySelector('[data-passkey-status]')
  const say = (text) => { if (status) status.textContent = text }
  const { beginUrl, completeUrl, csrfToken, doneUrl } = container.dataset

  container.querySelectorAll('[data-passkey-supported]').forEach(el => { el.hidden = false })
  container.querySelectorAll('[data-passkey-unsupported]').forEach(el => { el.hidden = true })

  button.addEventListener('click', async () => {
    button.disabled = true
    say(MESSAGES.working)
    try {
      const begun = await post(beginUrl, csrfToken)
      if (!begun.ok) {
        say(begun.data.code === 'reauthenticate' ? MESSAGES.needsPassword : MESSAGES.failed)
        return
      }
      let credential
      try {
        credential = ceremony === 'add'
          ? await navigator.credentials.create({ publicKey: creationOptions(begun.data) })
          : await navigator.credentials.get({ publicKey: requestOptions(begun.data) })
      } catch (error) {
        say(error.name === 'InvalidStateError' ? MESSAGES.alreadyAdded : MESSAGES.cancelled)
        return
      }
      const completed = await post(completeUrl, csrfToken, describe(credential))
      if (!completed.ok) {
        say(ceremony === 'add' ? MESSAGES.failed : MESSAGES.notRecognised)
        return
      }
      window.location.assign(ceremony === 'add' ? doneUrl : completed.data.redirect_url)
    } catch (error) {
      say(MESSAGES.failed)
    } finally {
      button.disabled = false
    }
  })
}

if (window.PublicKeyCredential && navigator.credentials) {
  document.querySelectorAll('[data-passkey-add]').forEach(el => setUp(el, 'add'))
  document.querySelectorAll('[data-passkey-sign-in]').forEach(el => setUp(el, 'sign-in'))
}
