// Copy buttons: the only script of the console. Every value stays selectable in its field without it.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  const status = button.closest("section")?.querySelector(".copy-status");
  try {
    await navigator.clipboard.writeText(field.value);
    if (status) status.textContent = `${button.textContent.replace("Copy ", "")} copied to the clipboard.`;
  } catch {
    field.select();
    if (status) status.textContent = "Copying is not allowed here: the value is selected, press Ctrl+C.";
  }
});
