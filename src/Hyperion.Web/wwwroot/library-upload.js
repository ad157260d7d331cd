// The Import Library Item dialog's upload: the file chosen in the <input type=file> is posted straight to the Center
// with XMLHttpRequest (the browser streams it from disk and reports progress), not through the Blazor circuit.
const running = new Map();

export function upload(inputId, url, progress) {
    const input = document.getElementById(inputId);
    const file = input && input.files && input.files[0];
    if (!file) {
        return Promise.resolve({ status: 0, body: "no file chosen" });
    }

    return new Promise(resolve => {
        const xhr = new XMLHttpRequest();
        running.set(inputId, xhr);
        let last = 0;
        xhr.upload.onprogress = e => {
            const now = Date.now();
            if (now - last >= 200) {
                last = now;
                progress.invokeMethodAsync("Progress", e.loaded).catch(() => { });
            }
        };
        const done = (status, body) => {
            running.delete(inputId);
            resolve({ status, body });
        };
        xhr.onload = () => done(xhr.status, xhr.responseText);
        xhr.onerror = () => done(0, "the connection to the Center failed during the upload");
        xhr.onabort = () => done(-1, "cancelled");
        xhr.open("POST", url);
        xhr.setRequestHeader("Content-Type", "application/octet-stream");
        xhr.send(file);
    });
}

export function abort(inputId) {
    const xhr = running.get(inputId);
    if (xhr) {
        xhr.abort();
    }
}
