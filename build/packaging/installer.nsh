; DoseDesk NSIS include: machine-wide install for IT.
; Silent install:   DoseDesk-Setup-<version>.exe /S [/D=C:\Program Files\DoseDesk]
; A machine-wide configuration can be placed with the install:
;   DoseDesk-Setup-<version>.exe /S /CONFIG=\\server\share\dosedesk-config.json
; The file is copied to %ProgramData%\DoseDesk\config.json (read by every user's DoseDesk).
; Uninstalling never deletes %ProgramData%\DoseDesk or any user's database.

!include "FileFunc.nsh"
!include "LogicLib.nsh"

!macro customInstall
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/CONFIG=" $R1
  ${IfNot} ${Errors}
    SetShellVarContext all
    CreateDirectory "$APPDATA\DoseDesk"
    CopyFiles /SILENT "$R1" "$APPDATA\DoseDesk\config.json"
    ; Users may read the configuration; only administrators may change it.
    nsExec::Exec 'icacls "$APPDATA\DoseDesk\config.json" /inheritance:r /grant:r *S-1-5-32-544:F *S-1-5-18:F *S-1-5-32-545:R'
  ${EndIf}
!macroend

!macro customUnInstall
  ; Keep configuration and patient data: removing the program must never remove records.
!macroend
