; Windows installer for the Carelog app folder (dist\carelog), built with Inno Setup 6:
;   iscc /DAppVersion=0.1.0 .ci\bundle\carelog.iss   ->   dist\Carelog-0.1.0-setup.exe
; It installs for the current user without administrator rights (a clinic workstation's usual
; account); an IT desk can install it for all users and silently:
;   Carelog-0.1.0-setup.exe /ALLUSERS /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Uninstalling removes the program only: the therapist's database lives in their own data
; folder and is never touched.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif

[Setup]
; The same AppId for every version, so a newer installer upgrades in place.
AppId={{5CB9ED54-D89C-4605-A8BE-4041DE5B2D4B}
AppName=Carelog
AppVersion={#AppVersion}
AppVerName=Carelog {#AppVersion}
AppPublisher=Carelog
DefaultDirName={autopf}\Carelog
DefaultGroupName=Carelog
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=Carelog-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\carelog-gui.exe
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "Put Carelog on the desktop"; Flags: unchecked

[Files]
Source: "..\..\dist\carelog\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Carelog"; Filename: "{app}\carelog-gui.exe"
Name: "{autodesktop}\Carelog"; Filename: "{app}\carelog-gui.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\carelog-gui.exe"; Description: "Open Carelog"; Flags: nowait postinstall skipifsilent
