"""edit.py FOLDER - German Windows: wsl.exe --system -d NoGui refuses a GUI-off distro with its
localized message and the localized "Fehlercode:" label (WSL localization/strings/de-DE/
Resources.resw, GuiApplicationsDisabled and MessageErrorCode, 3e27a6a5). Replaces the
emulator's English refusal in the recording (tests/record/remake.sh runs this)."""
import json
import sys

folder = sys.argv[1]
man = json.load(open(folder + "/manifest.json", encoding="utf-8"))
index = next(i for i, e in enumerate(man["exchanges"]) if e["argv"][1] == "--system")
text = ("Die Unterstützung von GUI-Anwendungen ist über C:\\Users\\Anna\\.wslconfig oder "
        "/etc/wsl.conf deaktiviert.\r\n"
        "Fehlercode: Wsl/Service/CreateInstance/WSL_E_GUI_APPLICATIONS_DISABLED\r\n").encode()
with open(f"{folder}/exchange-{index:03d}.stdout", "wb") as f:
    f.write(text)
e = man["exchanges"][index]
e["stdout_length"] = len(text)
e["stdout_reads"] = [[e["stdout_reads"][-1][0] if e["stdout_reads"] else 0, len(text)]]
with open(folder + "/manifest.json", "w", encoding="utf-8") as f:
    f.write(json.dumps(man, indent="\t", ensure_ascii=False) + "\n")
