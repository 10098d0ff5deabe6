// Progressive enhancement: keep a reflection as a draft while the leader writes.
// Without JavaScript the "Save as draft" button does the same; nothing depends on this.
const form = document.querySelector('form[data-autosave="draft"]')
const EDIT_PATH = /\/toolkit\/reflections\/\d+\/edit\/$/
const QUIET_MS = 3000

if (form && window.fetch && window.FormData) {
  const status = document.createElement('p')
  status.className = 'nhsuk-body-s app-autosave-status'
  status.setAttribute('role', 'status')
  const buttons = form.querySelector('.nhsuk-button-group')
  form.insertBefore(status, buttons)
  let timer = null
  let saving = false
  let again = false

  const save = async () => {
    if (saving) {
      again = true
      return
    }
    saving = true
    const data = new FormData(form)
    data.set('draft', '1')
    try {
      const response = await fetch(form.action || window.location.href, {
        method: 'POST',
        body: data,
        credentials: 'same-origin'
      })
      const landed = new URL(response.url)
      if (response.ok && response.redirected && EDIT_PATH.test(landed.pathname)) {
        form.action = landed.pathname
        window.history.replaceState(null, '', landed.pathname)
        const time = new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })
        status.textContent = `Draft saved automatically at ${time}. Only you can see it.`
      } else {
        status.textContent = 'Your draft could not be saved automatically. Use "Save as draft" to keep your changes.'
      }
    } catch (error) {
      status.textContent = 'Your draft could not be saved automatically. Use "Save as draft" to keep your changes.'
    }
    saving = false
    if (again) {
      again = false
      save()
    }
  }

  form.addEventListener('input', () => {
    window.clearTimeout(timer)
    timer = window.setTimeout(save, QUIET_MS)
  })
  form.addEventListener('submit', () => window.clearTimeout(timer))
}
