/* Copy buttons: <button data-copy="text" data-done="Copied">. A static file: the CSP allows
   no inline script. */
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button || !navigator.clipboard) { return; }
  navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
    button.textContent = button.getAttribute("data-done") || button.textContent;
  });
});
